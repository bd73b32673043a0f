// First, so that the first screen's data is on its way while the rest is evaluated.
import './lib/startup';
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lost its #app element');

export default mount(App, { target });
