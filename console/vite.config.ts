// Built by `npm run build` (`vite build console`) into dist/console, which Herald serves at /console.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  // JSX settings come from console/tsconfig.json (Preact's automatic runtime).
  build: { outDir: '../dist/console', emptyOutDir: true },
  // `npx vite console`: a dev server whose API calls go to a Herald on its default port.
  server: { proxy: { '/v1': 'http://localhost:8080' } },
});
