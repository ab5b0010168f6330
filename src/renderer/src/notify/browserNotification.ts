/**
 * The browser's Notification API for runs that end while the page is in the background. Electron's
 * main process shows OS notifications itself, so inside the app (window.normlab) this does nothing.
 * Permission is asked once, from a user gesture (the first Start, or the button in Settings).
 */
import { isElectron } from '../api/client';

const ASKED_KEY = 'normlab.notificationsAsked';

export type NotificationState = 'unsupported' | 'electron' | NotificationPermission;

export function notificationState(): NotificationState {
  if (isElectron()) return 'electron';
  if (typeof window.Notification === 'undefined') return 'unsupported';
  return window.Notification.permission;
}

/** Asks for permission (call it from a click). `onlyOnce`: do nothing if the page asked before. */
export async function requestNotificationPermission(onlyOnce = false): Promise<NotificationState> {
  const state = notificationState();
  if (state !== 'default') return state;
  if (onlyOnce && localStorage.getItem(ASKED_KEY)) return state;
  localStorage.setItem(ASKED_KEY, '1');
  try {
    return await window.Notification.requestPermission();
  } catch {
    return notificationState();
  }
}

/** Shows a system notification when allowed; clicking it focuses the page and calls `onClick`. */
export function showBrowserNotification(title: string, body: string, onClick?: () => void): void {
  if (notificationState() !== 'granted') return;
  try {
    const n = new window.Notification(title, { body, tag: `normlab-${title}` });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch {
    // some browsers allow notifications only from a service worker; the in-app toast remains
  }
}
