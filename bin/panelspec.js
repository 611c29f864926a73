#!/usr/bin/env node
// The `panelspec` command (see CONTRACT.md): runs the bundled CLI, which also serves `lsp --stdio`.
require('../dist/cli.js');
