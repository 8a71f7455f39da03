// A ticket's QR code with its reference under it (docs/api.md, "Door check-in":
// what a guest reads out or the door types when the QR code cannot be read; the
// signed code itself is 107 characters nobody types): an SVG drawn from the `qrcode` library's module matrix, synchronously, so it
// renders the same in a server component (/r/<token>, /o/<token>) and in the
// browser, with no image request and nothing the page's CSP has to allow.
import QRCode from 'qrcode';
import { cx } from '@/components/ui/cx';
import { formatReference } from '@/lib/registrations/reference';

type Props = {
  code: string;
  /** What a screen reader says for the image, e.g. "Ticket QR code for Ann". */
  label: string;
  /** The ticket's reference, printed under the QR code as two groups of four. */
  reference: string;
  /** Shown above the reference, e.g. "Reference". */
  referenceLabel: string;
  className?: string;
};

const QUIET_ZONE = 4;

/** One SVG path of the dark modules: `M x y h1 v1 h-1 z` per module. */
export function modulesPath(code: string): { size: number; path: string } {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y += 1) {
    for (let x = 0; x < modules.size; x += 1) {
      if (modules.get(y, x)) parts.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { size: modules.size + QUIET_ZONE * 2, path: parts.join('') };
}

export function TicketQr({ code, label, reference, referenceLabel, className }: Props) {
  const { size, path } = modulesPath(code);
  return (
    <figure className={cx('flex flex-col items-center gap-3', className)} data-testid="ticket-qr" data-code={code}>
      <svg
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={label}
        className="aspect-square w-full max-w-64 rounded-md bg-white"
        shapeRendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={path} fill="#000" />
      </svg>
      <figcaption className="w-full text-center text-sm text-slate-700">
        <span className="block font-medium">{referenceLabel}</span>
        <code className="block font-mono text-xl font-semibold tracking-widest text-slate-900 select-all" data-testid="ticket-reference" data-reference={reference}>
          {formatReference(reference)}
        </code>
      </figcaption>
    </figure>
  );
}
