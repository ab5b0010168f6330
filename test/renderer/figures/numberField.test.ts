// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import NumberField from '../../../src/renderer/src/components/figures/NumberField.vue';

function mountField(value: number | null) {
  return mount(NumberField, {
    props: { value, min: 10, max: 500, step: 0.1 },
    attrs: { 'aria-label': 'Width in mm', 'data-testid': 'w', placeholder: 'auto' },
    slots: { default: 'mm' },
  });
}

describe('NumberField', () => {
  it('puts its attributes on the input and its unit after it', () => {
    const w = mountField(84);
    const input = w.get('input');
    expect(input.attributes()).toMatchObject({
      type: 'number',
      min: '10',
      max: '500',
      step: '0.1',
      'aria-label': 'Width in mm',
      'data-testid': 'w',
      placeholder: 'auto',
    });
    expect((input.element as HTMLInputElement).value).toBe('84');
    expect(w.get('label').attributes('data-testid')).toBeUndefined();
    expect(w.text()).toBe('mm');
  });

  it('shows null as an empty field', () => {
    expect((mountField(null).get('input').element as HTMLInputElement).value).toBe('');
  });

  it('hands over the number typed, and NaN once emptied', async () => {
    const w = mountField(84);
    await w.get('input').setValue('120.5');
    await w.get('input').setValue('');
    expect(w.emitted('input')).toEqual([[120.5], [NaN]]);
  });
});
