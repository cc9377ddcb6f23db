import { describe, expect, it } from 'vitest';
import { CallAbort } from './call-abort';

describe('CallAbort', () => {
  it('tells each listener once, with the reason, and a listener added after the abort at once', () => {
    const call = new CallAbort();
    const heard: string[] = [];
    call.onAbort((reason) => heard.push(`a:${reason.message}`));
    const stop = call.onAbort((reason) => heard.push(`b:${reason.message}`));
    stop();
    call.abort(new Error('gone'));
    call.abort(new Error('again'));
    call.onAbort((reason) => heard.push(`c:${reason.message}`));
    expect(heard).toEqual(['a:gone', 'c:gone']);
    expect(call.aborted).toBe(true);
    expect(call.reason?.message).toBe('gone');
  });

  it('its AbortSignal, made before or after the abort, aborts with it', () => {
    const early = new CallAbort();
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort(new Error('gone'));
    expect(signal.aborted).toBe(true);
    const late = new CallAbort();
    late.abort(new Error('gone'));
    expect(late.signal.aborted).toBe(true);
    expect((late.signal.reason as Error).message).toBe('gone');
  });

  it('after(ms) aborts with a TimeoutError at its deadline, and never once disposed', async () => {
    const timed = CallAbort.after(20);
    const disposed = CallAbort.after(20);
    disposed.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(timed.aborted).toBe(true);
    expect(timed.reason?.name).toBe('TimeoutError');
    expect(disposed.aborted).toBe(false);
  });
});
