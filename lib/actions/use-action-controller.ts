'use client';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ActionController, type ActionControllerOptions, type ActionState, type Perform } from './action-controller';

/**
 * One controller per mounted form; the latest `perform` is used without
 * recreating it. With `options.persistence`, an attempt a reload interrupted
 * is resumed on mount (ActionController.resume).
 */
export function useActionController<P, T, D = unknown>(
  perform: Perform<P, T>,
  options?: ActionControllerOptions<P, D>,
): [ActionState<T, D>, ActionController<P, T, D>] {
  const performRef = useRef(perform);
  useEffect(() => {
    performRef.current = perform;
  });
  const [controller] = useState(
    () => new ActionController<P, T, D>((payload, context) => performRef.current(payload, context), options),
  );
  useEffect(() => {
    void controller.resume();
    return controller.dispose;
  }, [controller]);
  const state = useSyncExternalStore(controller.subscribe, controller.getState, controller.getState);
  return [state, controller];
}
