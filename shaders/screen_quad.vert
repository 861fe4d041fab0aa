#version 330 core
// A quad given by two corners in NDC; texture coordinates run 0..1 from corner 0 to corner 1.
uniform vec4 uNdcRect;  // x0, y0, x1, y1
out vec2 vUv;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  vUv = corner;
  gl_Position = vec4(mix(uNdcRect.xy, uNdcRect.zw, corner), 0.0, 1.0);
}
