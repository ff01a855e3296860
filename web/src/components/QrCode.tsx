import { useMemo } from "react";
import { encode } from "uqr";

/** A QR code (encoded by uqr) drawn as one SVG path, dark on white so every camera reads it. */
export function QrCode({ value, label, size = 176 }: { value: string; label: string; size?: number }) {
  const { path, width } = useMemo(() => {
    const { data, size: modules } = encode(value, { ecc: "M", border: 2 });
    let d = "";
    data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
    return { path: d, width: modules };
  }, [value]);
  return (
    <svg className="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${width} ${width}`} shapeRendering="crispEdges">
      <rect width={width} height={width} fill="#fff" />
      <path d={path} fill="#1c1917" />
    </svg>
  );
}
