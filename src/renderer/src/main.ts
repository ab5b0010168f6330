import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { getClient } from './api/client';
import { createAppRouter } from './router';
import './styles/theme.css';

// The client first: it takes the serve token out of the URL before the router reads it.
getClient();

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app');
