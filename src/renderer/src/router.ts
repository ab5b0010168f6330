/**
 * The app's routes. Hash history, so the same build works under file:// (Electron) and under
 * `normlab serve`. The live-run view (views/RunView.vue) belongs to the live-run work; until that
 * file exists the route shows a placeholder instead of breaking the build.
 */
import { createRouter, createWebHashHistory, type RouteComponent } from 'vue-router';

const liveRunView = import.meta.glob<{ default: RouteComponent }>('./views/RunView.vue');

function runView(): Promise<RouteComponent> {
  const load = liveRunView['./views/RunView.vue'];
  return load ? load().then((m) => m.default) : import('./views/RunViewPending.vue').then((m) => m.default);
}

export function createAppRouter() {
  return createRouter({
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
      { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
}
