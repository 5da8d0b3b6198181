/**
 * A link to a portal view: a real `<a href>` (it opens in a new tab, and is read as a link), which
 * changes the view in place on a plain click.
 */
import type { ComponentChildren } from 'preact';
import { navigate, routePath, type Route } from './route.js';

export function Link({ to, children, class: className }: { to: Route; children: ComponentChildren; class?: string }) {
  const href = routePath(to);
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={follow} class={className}>
      {children}
    </a>
  );
}
