import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes a small glTF 2.0 model (a box with the product's colour and proportions) for 3D/AR
 * product viewers, generated locally. Returns its public URL; an existing file is kept.
 */
export function writeBoxModel(
  mediaDir: string,
  name: string,
  opts: { color: string; sizeMm: [number, number, number] },
): string {
  const url = `/media/${name}.gltf`;
  const file = join(mediaDir, `${name}.gltf`);
  if (existsSync(file)) return url;
  mkdirSync(mediaDir, { recursive: true });
  const [x, y, z] = opts.sizeMm.map((mm) => mm / 2000); // metres, half extents
  const corners = [
    [-x!, -y!, -z!],
    [x!, -y!, -z!],
    [x!, y!, -z!],
    [-x!, y!, -z!],
    [-x!, -y!, z!],
    [x!, -y!, z!],
    [x!, y!, z!],
    [-x!, y!, z!],
  ];
  const faces = [
    0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7,
    3,
  ];
  const positions = new Float32Array(corners.flat());
  const indices = new Uint16Array(faces);
  const buffer = Buffer.concat([Buffer.from(positions.buffer), Buffer.from(indices.buffer)]);
  const rgb = [1, 3, 5].map((i) => Number.parseInt(opts.color.slice(i, i + 2), 16) / 255);
  const gltf = {
    asset: { version: "2.0", generator: "chuhai demo seed" },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1, material: 0 }] }],
    materials: [
      { pbrMetallicRoughness: { baseColorFactor: [...rgb, 1], metallicFactor: 0, roughnessFactor: 0.8 } },
    ],
    buffers: [
      { byteLength: buffer.length, uri: `data:application/octet-stream;base64,${buffer.toString("base64")}` },
    ],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positions.byteLength, target: 34962 },
      { buffer: 0, byteOffset: positions.byteLength, byteLength: indices.byteLength, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 8, type: "VEC3", min: [-x!, -y!, -z!], max: [x!, y!, z!] },
      { bufferView: 1, componentType: 5123, count: faces.length, type: "SCALAR" },
    ],
  };
  writeFileSync(file, JSON.stringify(gltf));
  return url;
}
