// Any text as a QR code, drawn as one SVG path (see ticket-qr.tsx): no image
// request, nothing for the page's CSP to allow, the same on server and browser.
import { cx } from '@/components/ui/cx';
import { modulesPath } from './ticket-qr';

export function QrSvg({ value, label, className, testId }: { value: string; label: string; className?: string; testId?: string }) {
  const { size, path } = modulesPath(value);
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      className={cx('aspect-square w-full max-w-64 rounded-md bg-white', className)}
      shapeRendering="crispEdges"
      data-testid={testId}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
