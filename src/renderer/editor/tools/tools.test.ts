import { describe, expect, it } from 'vitest';
import type { LabelMap } from '../../../shared/domain';
import { click, drag, fromAscii, instancesAscii, pt, session, toAscii } from '../test-utils';
import { PolygonTool } from './polygon';

describe('brush', () => {
  it('paints a capsule of the active class along the stroke with no gaps', () => {
    const s = session({ width: 12, height: 7 });
    s.setClass(2);
    s.setBrushSize(3);
    // A fast stroke: only two pointer events 8 px apart.
    drag(s, [[2.5, 3.5], [10.5, 3.5]]);
    expect(toAscii(s.buf)).toEqual([
      '............',
      '............',
      '.nnnnnnnnnnn',
      '.nnnnnnnnnnn',
      '.nnnnnnnnnnn',
      '............',
      '............',
    ]);
    // One stroke = one history step, one new cell.
    expect(s.history.list().map((e) => e.label)).toEqual(['Start', 'Brush (nucleus)']);
    expect(new Set(s.buf.instances.filter((v) => v))).toEqual(new Set([1]));
  });

  it('size 1 paints exactly the pixel under the pointer', () => {
    const s = session({ width: 5, height: 5 });
    s.setBrushSize(1);
    click(s, 2.9, 1.1);
    expect(toAscii(s.buf)).toEqual(['.....', '..c..', '.....', '.....', '.....']);
  });

  it('painting inside an existing cell keeps that cell', () => {
    const s = session(fromAscii(['......', '.1111.', '.1111.', '.1111.', '......', '....2.']));
    s.setClass(2);
    s.setBrushSize(1);
    drag(s, [[2.5, 2.5], [3.5, 2.5]]);
    expect(s.buf.instances[2 * 6 + 2]).toBe(1);
    expect(s.buf.instances[2 * 6 + 3]).toBe(1);
    expect(toAscii(s.buf)[2]).toBe('.cnnc.');
  });

  it('a stroke started outside a cell adopts the cell it reaches; crossing cells keeps their ownership', () => {
    const s = session(fromAscii(['..........', '......11..', '......11..', '..........', '.22.......']));
    s.setBrushSize(1);
    s.setClass(1);
    drag(s, [[0.5, 1.5], [7.5, 1.5]]);
    expect(instancesAscii(s.buf)[1]).toBe('11111111..');
    s.setClass(2);
    drag(s, [[1.5, 4.5], [1.5, 1.5], [7.5, 1.5]]);
    // Cell 2 stays cell 2, cell 1 stays cell 1; the new unowned pixels go to cell 2 (where the stroke began).
    expect(instancesAscii(s.buf)[4]).toBe('.22.......');
    expect(instancesAscii(s.buf).slice(1, 4)).toEqual(['11111111..', '.2....11..', '.2........']);
    expect(toAscii(s.buf)[1]).toBe('cnnnnnnn..');
  });

  it('shift-click draws a straight line from the end of the previous stroke', () => {
    const s = session({ width: 8, height: 3 });
    s.setBrushSize(1);
    click(s, 0.5, 1.5);
    click(s, 7.5, 1.5, { shift: true });
    expect(toAscii(s.buf)[1]).toBe('cccccccc');
  });

  it('Escape during a stroke drops it', () => {
    const s = session({ width: 6, height: 6 });
    s.pointerDown(pt(3, 3));
    s.pointerMove(pt(4, 4));
    expect(s.toolKey('Escape')).toBe(true);
    expect(s.buf.labels.every((v) => v === 0)).toBe(true);
    expect(s.history.list()).toHaveLength(1);
  });
});

describe('eraser', () => {
  it('erases to background and clears the cell id', () => {
    const s = session(fromAscii(['cccccc', 'cccccc', 'cccccc']));
    s.setTool('eraser');
    s.setBrushSize(1);
    drag(s, [[0.5, 1.5], [5.5, 1.5]]);
    expect(toAscii(s.buf)).toEqual(['cccccc', '......', 'cccccc']);
    expect(s.buf.instances.slice(6, 12).every((v) => v === 0)).toBe(true);
  });

  it('the secondary button erases with the brush', () => {
    const s = session(fromAscii(['nnn', 'nnn', 'nnn']));
    s.setBrushSize(1);
    click(s, 1.5, 1.5, { button: 2 });
    expect(toAscii(s.buf)).toEqual(['nnn', 'n.n', 'nnn']);
  });
});

describe('polygon / lasso fill', () => {
  it('fills a clicked polygon closed with Enter', () => {
    const s = session({ width: 10, height: 8 });
    s.setTool('polygon');
    s.setClass(1);
    const tool = s.activeTool as PolygonTool;
    let t = 0;
    tool.now = () => (t += 1000); // clicks far apart: no double click
    s.pickRadius = 1;
    for (const [x, y] of [[2, 2], [8, 2], [8, 6], [2, 6]] as const) click(s, x, y);
    expect(tool.state).toBe('polygon');
    expect(s.toolKey('Enter')).toBe(true);
    expect(toAscii(s.buf)).toEqual([
      '..........',
      '..........',
      '..cccccc..',
      '..cccccc..',
      '..cccccc..',
      '..cccccc..',
      '..........',
      '..........',
    ]);
    expect(s.history.list().at(-1)?.label).toBe('Fill (cytoplasm)');
  });

  it('closes when clicking the first vertex, and a triangle fills by pixel centres', () => {
    const s = session({ width: 6, height: 6 });
    s.setTool('polygon');
    s.setClass(2);
    const tool = s.activeTool as PolygonTool;
    let t = 0;
    tool.now = () => (t += 1000);
    for (const [x, y] of [[0, 0], [6, 0], [0, 6], [0.5, 0.5]] as const) click(s, x, y);
    expect(tool.state).toBe('idle');
    expect(toAscii(s.buf)).toEqual(['nnnnn.', 'nnnn..', 'nnn...', 'nn....', 'n.....', '......']);
  });

  it('two fast clicks far apart add two vertices; a fast second click near the last vertex closes', () => {
    const s = session({ width: 10, height: 8 });
    s.setTool('polygon');
    s.setClass(1);
    const tool = s.activeTool as PolygonTool;
    let t = 0;
    tool.now = () => (t += 100); // every click within the double-click time
    s.pickRadius = 1;
    for (const [x, y] of [[2, 2], [8, 2], [8, 6], [2, 6]] as const) click(s, x, y);
    expect(tool.state).toBe('polygon');
    expect(s.buf.labels.every((v) => v === 0)).toBe(true);
    click(s, 2.3, 6.2); // double click on the last vertex
    expect(tool.state).toBe('idle');
    expect(toAscii(s.buf)[4]).toBe('..cccccc..');
  });

  it('a slow second click near the last vertex adds a vertex instead of closing', () => {
    const s = session({ width: 10, height: 8 });
    s.setTool('polygon');
    const tool = s.activeTool as PolygonTool;
    let t = 0;
    tool.now = () => (t += 1000);
    s.pickRadius = 1;
    for (const [x, y] of [[2, 2], [8, 2], [8, 6], [8.2, 6]] as const) click(s, x, y);
    expect(tool.state).toBe('polygon');
  });

  it('fills a freehand lasso on release', () => {
    const s = session({ width: 8, height: 8 });
    s.setTool('polygon');
    s.setClass(2);
    drag(s, [[1, 1], [7, 1], [7, 7], [1, 7]]);
    expect(s.activeTool.state).toBe('idle');
    const rows = toAscii(s.buf);
    expect(rows[0]).toBe('........');
    expect(rows[1]).toBe('.nnnnnn.');
    expect(rows[6]).toBe('.nnnnnn.');
    expect(rows[7]).toBe('........');
  });

  it('Backspace removes the last vertex and Escape drops the shape', () => {
    const s = session({ width: 6, height: 6 });
    s.setTool('polygon');
    const tool = s.activeTool as PolygonTool;
    let t = 0;
    tool.now = () => (t += 1000);
    click(s, 1, 1);
    click(s, 5, 1);
    expect(s.toolKey('Backspace')).toBe(true);
    expect(s.toolKey('Escape')).toBe(true);
    expect(tool.state).toBe('idle');
    expect(s.buf.labels.every((v) => v === 0)).toBe(true);
  });
});

describe('bucket fill', () => {
  it('fills the hole inside a cell with nucleus and joins that cell', () => {
    const s = session(
      fromAscii([
        '.......',
        '.22222.',
        '.2...2.',
        '.2...2.',
        '.22222.',
        '.......',
      ]),
    );
    s.setTool('bucket');
    s.setClass(2);
    click(s, 3.5, 2.5);
    expect(toAscii(s.buf)).toEqual(['.......', '.ccccc.', '.cnnnc.', '.cnnnc.', '.ccccc.', '.......']);
    expect(instancesAscii(s.buf)[2]).toBe('.22222.');
    // The outside background is a different region: untouched.
    expect(s.buf.labels[0]).toBe(0);
  });

  it('recolours a region and does nothing when it already has the class', () => {
    const s = session(fromAscii(['cc..', 'cc..']));
    s.setTool('bucket');
    s.setClass(1);
    click(s, 0.5, 0.5);
    expect(s.history.list()).toHaveLength(1);
    s.setClass(2);
    click(s, 0.5, 0.5);
    expect(toAscii(s.buf)).toEqual(['nn..', 'nn..']);
  });
});

describe('cell instances: split and merge', () => {
  const twoBlobs = (): LabelMap =>
    fromAscii([
      '..........',
      '.1111111..',
      '.1111111..',
      '.1111111..',
      '..........',
    ]);

  it('a cut across a cell makes two cells; the largest keeps its id', () => {
    const s = session(twoBlobs());
    s.setTool('split');
    drag(s, [[5.5, 0.2], [5.5, 2.5], [5.5, 4.8]]);
    // The cut pixels (column 5) join the piece on their left.
    expect(instancesAscii(s.buf)).toEqual(['..........', '.1111122..', '.1111122..', '.1111122..', '..........']);
    // Labels unchanged (no auto edges), history has the step.
    expect(toAscii(s.buf)[1]).toBe('.ccccccc..');
    expect(s.history.list().at(-1)?.label).toBe('Split cell into 2');
  });

  it('a cut that does not cross the cell does nothing and says why', () => {
    const s = session(twoBlobs());
    s.setTool('split');
    drag(s, [[2.5, 1.5], [3.5, 1.5]]);
    expect(instancesAscii(s.buf)[1]).toBe('.1111111..');
    expect(s.message).toMatch(/does not separate/);
  });

  it('merge: click cell A then cell B, B joins A', () => {
    const s = session(fromAscii(['11.22', '11.22', '.....', '33...']));
    s.setTool('merge');
    click(s, 0.5, 0.5);
    expect(s.selectedInstance).toBe(1);
    click(s, 4.5, 1.5);
    expect(instancesAscii(s.buf)).toEqual(['11.11', '11.11', '.....', '33...']);
    expect(s.history.list().at(-1)?.label).toBe('Merge cells');
  });

  it('select + Delete erases a cell', () => {
    const s = session(fromAscii(['11.22', '11.22']));
    s.setTool('select');
    click(s, 3.5, 0.5);
    expect(s.selectedInstance).toBe(2);
    expect(s.toolKey('Delete')).toBe(true);
    expect(toAscii(s.buf)).toEqual(['cc...', 'cc...']);
  });

  it('split then merge with auto edges keeps the separating edge only while split', () => {
    const s = session(fromAscii(['.........', '.1111111.', '.1111111.', '.1111111.', '.1111111.', '.........']), { autoEdges: true });
    s.setTool('split');
    drag(s, [[4.5, 0.2], [4.5, 5.8]]);
    // Each piece gets its own contour: two edge columns meet in the middle.
    expect(toAscii(s.buf)).toEqual(['.........', '.eeeeeee.', '.ecceece.', '.ecceece.', '.eeeeeee.', '.........']);
    s.setTool('merge');
    click(s, 1.5, 2.5);
    click(s, 6.5, 2.5);
    expect(toAscii(s.buf)).toEqual(['.........', '.eeeeeee.', '.eccccce.', '.eccccce.', '.eeeeeee.', '.........']);
  });
});

describe('snap', () => {
  it('shows the proposal and writes it as one cell on Enter, replacing the clicked cell', async () => {
    const start = fromAscii(['......', '.11...', '.11...', '......', '......']);
    const proposal = fromAscii(['......', '.cccc.', '.cnnc.', '.cccc.', '......']);
    const asked: unknown[] = [];
    const s = session(start, {
      snap: async (req) => {
        asked.push(req);
        return proposal;
      },
    });
    s.setTool('snap');
    click(s, 2.5, 2.5);
    expect(s.activeTool.state).toBe('waiting');
    const tool = s.activeTool as unknown as { pending: Promise<void> };
    await tool.pending;
    expect(s.activeTool.state).toBe('proposing');
    expect(s.activeTool.overlay()?.kind).toBe('proposal');
    // Nothing written yet.
    expect(toAscii(s.buf)[1]).toBe('.cc...');
    expect(s.toolKey('Enter')).toBe(true);
    expect(toAscii(s.buf)).toEqual(toAscii(proposal));
    expect(new Set(s.buf.instances.filter((v) => v))).toEqual(new Set([1]));
    expect(asked).toEqual([{ x: 2, y: 2 }]);
  });

  it('a dragged box is sent with the request; Escape drops the proposal', async () => {
    const asked: unknown[] = [];
    const s = session({ width: 20, height: 20 }, { snap: async (req) => (asked.push(req), fromAscii(Array(20).fill('c'.repeat(20)))) });
    s.setTool('snap');
    drag(s, [[2, 3], [8, 6], [12, 13]]);
    await (s.activeTool as unknown as { pending: Promise<void> }).pending;
    expect(asked).toEqual([{ x: 7, y: 8, box: { x: 2, y: 3, width: 10, height: 10 } }]);
    expect(s.toolKey('Escape')).toBe(true);
    expect(s.buf.labels.every((v) => v === 0)).toBe(true);
  });

  it('reports a failure without changing the mask', async () => {
    const s = session({ width: 5, height: 5 }, { snap: () => Promise.reject(new Error('no engine')) });
    s.setTool('snap');
    click(s, 2, 2);
    await (s.activeTool as unknown as { pending: Promise<void> }).pending;
    expect(s.activeTool.state).toBe('idle');
    expect(s.message).toMatch(/no engine/);
  });
});
