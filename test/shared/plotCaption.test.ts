import { describe, expect, it } from 'vitest';

import { captionParagraphs } from '../../src/shared/plotCaption';
import { rampColor } from '../../src/shared/plotColor';
import { figure, line, panel } from './plotFigures';

describe('captionParagraphs', () => {
  it('says the caption, the notes all panels share once, then each panel its own and its sampling', () => {
    const smoothing = 'smoothing: debiased EMA, alpha 0.9';
    const fig = figure(
      [
        panel('a', [line('a', [1])], { title: 'Loss', notes: [smoothing, 'no train/loss in run abc'] }),
        panel('b', [line('a', [1])], {
          title: 'Accuracy',
          notes: [smoothing],
          sampling: { stored: 1_000_000, drawn: 2400 },
        }),
        panel('c', [line('a', [1])], {
          title: 'Full',
          notes: [smoothing],
          sampling: { stored: 10, drawn: 10 },
        }),
      ],
      { caption: 'Runs x and y.' },
    );
    expect(captionParagraphs(fig)).toEqual([
      'Runs x and y.',
      smoothing,
      'Loss: no train/loss in run abc',
      'Accuracy: 2,400 of 1,000,000 points drawn (min/max/last per bucket)',
    ]);
  });

  it('is empty when there is nothing to say', () => {
    expect(captionParagraphs(figure([panel('a', [])]))).toEqual([]);
  });
});

describe('rampColor', () => {
  it('interpolates per channel between the ends and clamps t', () => {
    expect(rampColor('#000000', '#ffffff', 0)).toBe('#000000');
    expect(rampColor('#000', '#fff', 1)).toBe('#ffffff');
    expect(rampColor('#000000', '#ff8040', 0.5)).toBe('#804020');
    expect(rampColor('rgb(0, 0, 0)', '#0000ff', 2)).toBe('#0000ff');
    expect(rampColor('#102030', '#000000', -1)).toBe('#102030');
  });
});
