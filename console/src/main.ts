import './shared/zodCsp'; // first: before any contract/ schema is built
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
// The console ships its CJK font: duty-room PCs and test machines may have none (boxes instead of text).
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import App from './App.vue';
import { router } from './router';
import { i18n } from './shared/i18n';
import { installAudioUnlock } from './shared/alerts';

installAudioUnlock();

createApp(App).use(createPinia()).use(i18n).use(ElementPlus).use(router).mount('#app');
