import { createApp } from 'vue'
import Kongponents from '@kong/kongponents'
import '@kong/kongponents/dist/style.css'
import '@kong-ui-public/entities-shared/dist/style.css'
import App from './App.vue'
import { router } from './router'
import './console.css'

createApp(App).use(router).use(Kongponents).mount('#app')
