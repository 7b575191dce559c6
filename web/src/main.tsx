/** The Waypoint web UI: mounts the app over the page's static shell. */
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app');
if (root) render(<App />, root);
