// Bucket fill: a click fills the 4-connected region of the clicked label and cell with the
// active class (secondary button: background). Stateless apart from idle.
import { floodRegion, writeIndices } from '../raster';
import { inkFor } from './ink';
import { LABEL_TITLE, type Tool, type ToolHost, type ToolOverlay, type ToolPointer } from './types';

export class BucketTool implements Tool {
  readonly id = 'bucket' as const;
  readonly state = 'idle';

  pointerDown(p: ToolPointer, host: ToolHost): void {
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    const region = floodRegion(host.buf, x, y);
    if (!region) return;
    const label = p.button === 2 ? 0 : host.activeClass;
    const seed = y * host.buf.width + x;
    const seedInstance = host.buf.instances[seed];
    // Recolouring inside a cell keeps the cell; filling a hole joins the surrounding cell.
    const ink = seedInstance && label !== 0 ? { label, instance: label === 3 ? ('keep' as const) : seedInstance } : inkFor(host, label, region.indices);
    if (host.buf.labels[seed] === label && (ink.instance === 'keep' || ink.instance === seedInstance)) return;
    host.touched(writeIndices(host.buf, region.indices, ink));
    host.commit(`Bucket fill (${LABEL_TITLE[label] ?? label})`);
  }

  pointerMove(): void {}
  pointerUp(): void {}
  keyDown(): boolean {
    return false;
  }
  cancel(): void {}
  overlay(): ToolOverlay | null {
    return null;
  }
}
