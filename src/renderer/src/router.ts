/**
 * The app's routes. Hash history, so the same build works under file:// (Electron) and under
 * `normlab serve`. The live-run view (views/RunView.vue) belongs to the live-run work; until that
 * file exists the route shows a placeholder instead of breaking the build.
 */
import { createRouter, createWebHashHistory, type RouteComponent } from 'vue-router';
import { errorText } from './format/errorText';

const liveRunView = import.meta.glob<{ default: RouteComponent }>('./views/RunView.vue');

function runView(): Promise<RouteComponent> {
  const load = liveRunView['./views/RunView.vue'];
  return load ? load().then((m) => m.default) : import('./views/RunViewPending.vue').then((m) => m.default);
}

const RELOADED_KEY = 'normlab.reloadedForChunk';

/**
 * A view's code that cannot be fetched any more (the app was rebuilt or updated under an open
 * page: its chunks have new names) is fetched again by reloading the page at the route asked for,
 * once; a second failure within a minute is left to the router's error.
 */
function reloadForMissingChunk(error: unknown, path: string): boolean {
  const message = errorText(error);
  if (!/dynamically imported module|Importing a module script failed|preload/i.test(message)) return false;
  const last = Number(sessionStorage.getItem(RELOADED_KEY) ?? 0);
  if (Date.now() - last < 60_000) return false;
  sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
  window.location.hash = path;
  window.location.reload();
  return true;
}

export function createAppRouter() {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', name: 'home', component: () => import('./views/NewExperimentView.vue') },
      { path: '/new', name: 'new', component: () => import('./views/NewExperimentView.vue') },
      {
        path: '/new/form',
        name: 'new-form',
        component: () => import('./views/ExperimentFormView.vue'),
      },
      { path: '/runs', name: 'runs', component: () => import('./views/RunsView.vue') },
      { path: '/runs/:id', name: 'run', component: runView, props: true },
      // ?runs=a,b&m=train/loss,... : the whole compare view is in the query (components/compare/compareQuery.ts).
      { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue') },
      { path: '/figures', name: 'figures', component: () => import('./views/FiguresView.vue') },
      {
        path: '/figures/:template',
        name: 'figure',
        component: () => import('./views/FiguresView.vue'),
        props: true,
      },
      // ?scale=smoke&only=fig4&reading=... : the choices are in the query (components/reproduce/reproQuery.ts).
      { path: '/reproduce', name: 'reproduce', component: () => import('./views/ReproduceView.vue') },
      { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
  router.onError((error, to) => {
    if (!reloadForMissingChunk(error, to.fullPath)) console.error('NormLab: navigation failed', error);
  });
  window.addEventListener('vite:preloadError', (event) => {
    if (
      reloadForMissingChunk(
        (event as Event & { payload?: unknown }).payload,
        router.currentRoute.value.fullPath,
      )
    ) {
      event.preventDefault();
    }
  });
  return router;
}
