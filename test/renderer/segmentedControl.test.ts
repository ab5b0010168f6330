// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import SegmentedControl from '../../src/renderer/src/components/SegmentedControl.vue';

const OPTIONS = [
  { value: 'a', label: 'Alpha', title: 'the first' },
  { value: 'b', label: 'Beta' },
] as const;

function mountControl(modelValue: 'a' | 'b') {
  return mount(SegmentedControl, {
    props: { options: OPTIONS, modelValue, label: 'Letter', testidPrefix: 'letter-' },
    attrs: { title: 'Pick a letter' },
  });
}

describe('SegmentedControl', () => {
  it('is a radiogroup whose chosen button alone is checked and on', () => {
    const w = mountControl('b');
    const group = w.get('[role="radiogroup"]');
    expect(group.classes()).toContain('nl-segmented');
    expect(group.attributes('aria-label')).toBe('Letter');
    expect(group.attributes('title')).toBe('Pick a letter');
    const a = w.get('[data-testid="letter-a"]');
    const b = w.get('[data-testid="letter-b"]');
    expect([a.text(), b.text()]).toEqual(['Alpha', 'Beta']);
    expect([a.attributes('aria-checked'), b.attributes('aria-checked')]).toEqual(['false', 'true']);
    expect([a.classes('on'), b.classes('on')]).toEqual([false, true]);
    expect(a.attributes('title')).toBe('the first');
    expect(b.attributes('title')).toBeUndefined();
  });

  it('asks for the value clicked', async () => {
    const w = mountControl('b');
    await w.get('[data-testid="letter-a"]').trigger('click');
    expect(w.emitted('update:modelValue')).toEqual([['a']]);
  });
});
