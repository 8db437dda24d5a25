// Renderer entry: Vue app with Pinia, the router and vue-i18n.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './app/App.vue';
import { i18n } from './i18n';
import { router } from './app/router';
import './ui/theme.css';

createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
