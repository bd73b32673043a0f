/**
 * Runs `work` once the next frame has been painted, and returns what cancels it. An
 * animation frame's callback alone runs before that frame's paint, so work put there
 * still delays what the frame shows.
 */
export function afterPaint(work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (timer = setTimeout(work)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
