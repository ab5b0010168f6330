import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { getClient } from './api/client';
import { prefetchRunsTable } from './components/runs/runsTable';
import { createAppRouter } from './router';
import './styles/theme.css';
import { config as zodConfig } from 'zod/v4/core';

// zod would probe for eval (new Function) at its first parse, which the page's Content-Security-Policy
// refuses with an error in the console: parse without it.
zodConfig({ jitless: true });

// The client first: it takes the serve token out of the URL before the router reads it.
getClient();
// Opening on the runs table (a reload, a bookmark): its first rows load while the view's code does.
if (/^#\/runs\/?$/.test(window.location.hash)) prefetchRunsTable();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');
