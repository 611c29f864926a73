// The cluster structure of a wild cluster bootstrap with one or several error clusterings (Cameron,
// Gelbach and Miller's multiway variance) and bootstrap clusters of their own (fwildclusterboot's
// `bootcluster`, Stata boottest's `bootcluster()`). Everything is reduced to "cells": the intersection of
// the bootstrap clusters with every clustering. Cells nest in the bootstrap clusters (the weight of a cell
// is its bootstrap cluster's) and in every term of the variance (a cluster score is a sum of cell scores).
import { EstimationError } from '../types';
import { interactMany, type SampleFactor } from '../factors';
import { clusterTerms } from '../vcov';

/** The error clusterings (one-way: one factor) and the bootstrap clusters, on the model's sample rows. */
export interface WildClustering {
  clusters: SampleFactor[];
  /** default: the intersection of the clusterings (fwildclusterboot's and Stata's default) */
  boot?: SampleFactor;
}

/** One term of the CGM variance V = sum over non-empty subsets S of (-1)^(|S|+1) V(intersection of S). */
export interface WildVarianceTerm {
  sign: 1 | -1;
  /** clusters of the term (its small-sample factor's G) */
  G: number;
  /** the term's cluster of each cell; null when the term's clusters are the cells themselves */
  cellCode: Int32Array | null;
}

export interface WildCells {
  /** cell of each sample row, 0..nCells-1 */
  cells: SampleFactor;
  /** bootstrap clusters */
  G: number;
  /** bootstrap cluster of each cell */
  cellBoot: Int32Array;
  terms: WildVarianceTerm[];
}

/** Largest number of cells with a dense projection part (2 x cells^2 doubles: 256 MB at 4,000). */
export const MAX_DENSE_CELLS = 4000;

/** Each cell's level in `codes` (constant within a cell, as cells are finer). */
function perCell(cells: SampleFactor, codes: Int32Array): Int32Array {
  const out = new Int32Array(cells.nlevels);
  for (let i = 0; i < codes.length; i++) out[cells.codes[i]] = codes[i];
  return out;
}

export function wildCells(c: WildClustering): WildCells {
  if (!c.clusters.length) throw new EstimationError('the wild cluster bootstrap needs a cluster variable');
  const terms = c.clusters.length === 1 ? [{ codes: c.clusters[0].codes, G: c.clusters[0].nlevels, sign: 1 as const }] : clusterTerms(c.clusters);
  const boot: SampleFactor =
    c.boot ?? (c.clusters.length === 1 ? c.clusters[0] : { name: c.clusters.map((f) => f.name).join('#'), codes: terms[terms.length - 1].codes, nlevels: terms[terms.length - 1].G });
  const oneWayOnBoot = c.clusters.length === 1 && c.clusters[0] === boot;
  let cells: SampleFactor = boot;
  if (!oneWayOnBoot) {
    const codes = interactMany([boot.codes, ...c.clusters.map((f) => f.codes)]);
    let top = -1;
    for (let i = 0; i < codes.length; i++) if (codes[i] > top) top = codes[i];
    // the same partition as the bootstrap clusters: keep theirs, so that cell c is bootstrap cluster c
    if (top + 1 > boot.nlevels) cells = { name: 'cells', codes, nlevels: top + 1 };
  }
  return {
    cells,
    G: boot.nlevels,
    cellBoot: cells === boot ? Int32Array.from({ length: boot.nlevels }, (_, g) => g) : perCell(cells, boot.codes),
    terms: terms.map((t) => ({ sign: t.sign, G: t.G, cellCode: t.G === cells.nlevels ? null : perCell(cells, t.codes) })),
  };
}
