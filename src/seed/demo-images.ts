import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Lightens (amount > 0) or darkens a #rrggbb colour. */
function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => {
    const c = (n >> shift) & 0xff;
    return Math.round(amount > 0 ? c + (255 - c) * amount : c * (1 + amount));
  };
  return `#${[16, 8, 0].map((s) => channel(s).toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Renders a product placeholder image locally (no downloads): a colour field with the product's
 * type and title, as WebP. Returns the public URL; an existing file is kept.
 */
export async function renderProductImage(
  mediaDir: string,
  name: string,
  opts: { color: string; title: string; subtitle: string; variant?: number },
): Promise<{ url: string; width: number; height: number }> {
  const size = 800;
  const file = join(mediaDir, `${name}.webp`);
  const url = `/media/${name}.webp`;
  if (existsSync(file)) return { url, width: size, height: size };
  mkdirSync(mediaDir, { recursive: true });
  const base = opts.variant ? shade(opts.color, -0.25) : opts.color;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${shade(base, 0.35)}"/><stop offset="1" stop-color="${base}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${opts.variant ? 560 : 400}" cy="360" r="190" fill="${shade(base, 0.6)}" opacity="0.55"/>
    <text x="400" y="640" font-family="sans-serif" font-size="44" font-weight="700" fill="#ffffff" text-anchor="middle">${escapeXml(opts.title)}</text>
    <text x="400" y="700" font-family="sans-serif" font-size="28" fill="#ffffff" opacity="0.85" text-anchor="middle">${escapeXml(opts.subtitle)}</text>
    <text x="40" y="70" font-family="serif" font-size="34" fill="#ffffff" opacity="0.9">YUNSHAN 云山</text>
  </svg>`;
  // Loaded on first use: only a first start that seeds renders images.
  const { default: sharp } = await import("sharp");
  const webp = await sharp(Buffer.from(svg)).webp({ quality: 78 }).toBuffer();
  writeFileSync(file, webp);
  return { url, width: size, height: size };
}
