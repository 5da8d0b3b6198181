/**
 * A page's main heading: it takes the focus when the page opens, so keyboard and screen-reader
 * users land on the new page rather than on the link they left, and it sets the window title.
 */
import { useEffect, useRef } from 'preact/hooks';

/** The name after the page's title in the window title; each app sets it once at start. */
let appName = 'Gatehouse';

/** Sets the name the window titles end with ("Gatehouse admin console"). */
export function setAppName(name: string): void {
  appName = name;
}

export function PageHeading({ title }: { title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${appName}`;
    ref.current?.focus();
  }, [title]);
  return (
    <h1 id="page-title" tabIndex={-1} ref={ref}>
      {title}
    </h1>
  );
}
