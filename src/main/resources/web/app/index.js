// The bundle's entry point: styles (Tailwind, compiled at build time) and the page's script.
import './app.css';
import './app.js';
