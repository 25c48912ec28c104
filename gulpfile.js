const path = require('node:path');
const { task, src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
}

// n8n reads a node's codex from the .node.json next to its .node.js.
function copyCodex() {
	return src(path.resolve('nodes', '**', '*.node.json')).pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', copyIcons);
task('build:codex', copyCodex);
task('build:assets', parallel(copyIcons, copyCodex));
