import { render } from 'preact';
import { App } from './App';
import { startPortal } from './portal';
import './styles.css';

startPortal();

render(<App />, document.getElementById('app')!);
