import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { getClient } from './api/client';
import { prefetchRunsTable } from './components/runs/runsTable';
import { createAppRouter } from './router';
import './styles/theme.css';

// The client first: it takes the serve token out of the URL before the router reads it.
getClient();
// Opening on the runs table (a reload, a bookmark): its first rows load while the view's code does.
if (/^#\/runs\/?$/.test(window.location.hash)) prefetchRunsTable();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');
