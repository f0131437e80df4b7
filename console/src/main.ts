import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18n } from './shared/i18n';
import { installAudioUnlock } from './shared/alerts';

installAudioUnlock();

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
