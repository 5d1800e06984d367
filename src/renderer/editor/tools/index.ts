import { BrushTool } from './brush';
import { BucketTool } from './bucket';
import { MergeTool, SelectTool, SplitTool } from './instance';
import { PolygonTool } from './polygon';
import { SnapTool } from './snap';
import type { Tool, ToolId } from './types';

export const TOOL_IDS: readonly ToolId[] = ['brush', 'eraser', 'polygon', 'bucket', 'snap', 'select', 'split', 'merge'];

export function createTool(id: ToolId): Tool {
  switch (id) {
    case 'brush':
    case 'eraser':
      return new BrushTool(id);
    case 'polygon':
      return new PolygonTool();
    case 'bucket':
      return new BucketTool();
    case 'snap':
      return new SnapTool();
    case 'select':
      return new SelectTool();
    case 'split':
      return new SplitTool();
    case 'merge':
      return new MergeTool();
  }
}

export type { Tool, ToolId, ToolHost, ToolPointer, ToolOverlay, SnapRequest } from './types';
