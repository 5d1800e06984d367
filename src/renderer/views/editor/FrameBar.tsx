// The frame scrubber under the editor's canvas, shown when the image is a frame of a
// sequence: previous / play-pause / next, a slider over the frames, the frame readout, the
// onion-skin toggle and "copy the previous frame's mask". Moving to another frame is a move
// to another image: it goes through navigate(), so unsaved edits ask first (save / discard /
// cancel) exactly as next/previous image do. Play and onion skin outlive the frame (module
// state), since every frame mounts a new editor.
import { useEffect, useRef, useState } from 'react';
import type { ImageSummary, SequenceInfo } from '../../../shared/domain';
import { playDelayMs } from '../../editor/frames';
import { createStore, useStore } from '../../state/store';
import '../../styles/sequences.css';

export const frameView = createStore<{ playing: boolean; onion: boolean }>({ playing: false, onion: false });
export const setPlaying = (playing: boolean): void => frameView.set((s) => ({ ...s, playing }));
export const toggleOnion = (): void => frameView.set((s) => ({ ...s, onion: !s.onion }));

export interface FrameBarProps {
  image: ImageSummary;
  frames: ImageSummary[];
  sequence: SequenceInfo | null;
  /** Go to a frame (the caller stops playing when the move needs the user first). */
  onGo: (imageId: number) => void;
  onCopyPrevious: () => void;
  /** Keys of the actions, for the tooltips. */
  keysOf: (id: string) => string;
  /** What the onion skin shows, e.g. "frame 4 ground truth", or why nothing. */
  onionNote: string | null;
}

export function FrameBar({ image, frames, sequence, onGo, onCopyPrevious, keysOf, onionNote }: FrameBarProps) {
  const { playing, onion } = useStore(frameView);
  const pos = frames.findIndex((f) => f.id === image.id);
  const [scrub, setScrub] = useState<number | null>(null);
  const shown = scrub ?? pos;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Playing: the next frame after the sequence's delay; stop at the last frame.
  useEffect(() => {
    if (!playing) return;
    if (pos < 0 || pos >= frames.length - 1) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => onGo(frames[pos + 1].id), playDelayMs(sequence?.frameInterval));
    return () => clearTimeout(t);
  }, [playing, pos, frames, sequence, onGo]);

  // The slider moves the readout at once and the editor once the hand rests (a drag over
  // 400 frames must not open 400 images).
  const scrubTo = (k: number): void => {
    setScrub(k);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setScrub(null);
      if (frames[k] && k !== pos) onGo(frames[k].id);
    }, 150);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const f = frames[shown];
  const status = f?.unused ? 'unused' : f?.split;
  return (
    <div className="frame-bar" data-testid="frame-bar" data-frame-index={image.frameIndex ?? ''} data-position={pos} data-frames={frames.length} data-playing={playing ? 'true' : 'false'}>
      <button className="btn small" onClick={() => pos > 0 && onGo(frames[pos - 1].id)} disabled={pos <= 0} title={`Previous frame (${keysOf('frame.previous')})`} data-testid="frame-prev" aria-label="Previous frame">
        |◀
      </button>
      <button className="btn small" onClick={() => setPlaying(!playing)} disabled={frames.length < 2} title={`Play / pause (${keysOf('frame.play')})`} data-testid="frame-play" aria-label={playing ? 'Pause' : 'Play'}>
        {playing ? '❚❚' : '▶'}
      </button>
      <button className="btn small" onClick={() => pos >= 0 && pos < frames.length - 1 && onGo(frames[pos + 1].id)} disabled={pos < 0 || pos >= frames.length - 1} title={`Next frame (${keysOf('frame.next')})`} data-testid="frame-next" aria-label="Next frame">
        ▶|
      </button>
      <span className="frame-readout" data-testid="frame-readout">
        frame {f?.frameIndex ?? '?'} · {shown + 1}/{frames.length}
        {status ? <span className="muted"> · {status}</span> : null}
      </span>
      <input
        type="range"
        min={0}
        max={Math.max(0, frames.length - 1)}
        step={1}
        value={Math.max(0, shown)}
        onChange={(e) => scrubTo(Number(e.target.value))}
        aria-label={`Frame of sequence ${sequence?.name ?? ''}`}
        data-testid="frame-slider"
      />
      <span className="muted ellipsis" title={sequence?.source ?? ''}>
        {sequence?.name ?? ''}
      </span>
      <label title={`Onion skin: the previous frame's mask as outlines (${keysOf('frame.onion')})`}>
        <input type="checkbox" checked={onion} onChange={toggleOnion} data-testid="frame-onion" />
        Onion skin
      </label>
      {onion && onionNote && (
        <span className="muted" data-testid="frame-onion-note">
          {onionNote}
        </span>
      )}
      <button className="btn small" onClick={onCopyPrevious} disabled={pos <= 0} title={`Copy the previous frame's mask into this one: an edit, undo takes it back; nothing is saved (${keysOf('frame.copyPrevious')})`} data-testid="frame-copy-previous">
        Copy previous mask
      </button>
    </div>
  );
}
