/**
 * Whether an element is on screen (or within `margin` of it): live charts scrolled out of view keep
 * buffering but skip their redraws, and catch up when they come back. Visible until the observer says
 * otherwise (it reports the first state as soon as it observes; tests without one see everything).
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useVisibility(
  element: Ref<HTMLElement | null>,
  onShow: () => void,
  margin = '200px',
): Ref<boolean> {
  const visible = ref(true);
  let observer: IntersectionObserver | null = null;
  onMounted(() => {
    if (typeof IntersectionObserver === 'undefined' || !element.value) return;
    observer = new IntersectionObserver(
      (entries) => {
        const now = entries.some((e) => e.isIntersecting);
        if (now && !visible.value) {
          visible.value = true;
          onShow();
        } else if (!now) {
          visible.value = false;
        }
      },
      { rootMargin: margin },
    );
    observer.observe(element.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return visible;
}
