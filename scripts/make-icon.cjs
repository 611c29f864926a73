// Renders media/icon.svg to media/icon.png (128x128, the extension icon) with resvg: `node scripts/make-icon.cjs`.
const { readFileSync, writeFileSync } = require('fs');
const { initWasm, Resvg } = require('@resvg/resvg-wasm');
(async () => {
  await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const r = new Resvg(readFileSync('media/icon.svg', 'utf8'), { fitTo: { mode: 'width', value: 128 } });
  writeFileSync('media/icon.png', r.render().asPng());
})();
