#version 330 core
// Instanced thick segments: each instance is one segment, expanded to a quad of uWidthPx pixels
// in screen space (core-profile GL has no wide lines).
layout(location = 0) in vec2 aCorner;  // (t along 0..1, side -1..1)
layout(location = 1) in vec4 aEnds;    // per instance: x0, y0, x1, y1 in data coordinates
layout(location = 2) in vec4 aColour0; // per instance
layout(location = 3) in vec4 aColour1; // per instance
uniform vec2 uCentre;
uniform vec2 uNdcScale;
uniform vec2 uViewportPx;
uniform float uWidthPx;
out vec4 vColour;
void main() {
  vec2 n0 = (aEnds.xy - uCentre) * uNdcScale;
  vec2 n1 = (aEnds.zw - uCentre) * uNdcScale;
  vec2 d = (n1 - n0) * uViewportPx;  // in pixels (times 2)
  float len = length(d);
  vec2 dir = len > 0.0 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  vec2 p = mix(n0, n1, aCorner.x);
  // Half a width of cap at both ends so consecutive segments join without gaps.
  vec2 offsetPx = normal * aCorner.y * 0.5 * uWidthPx + dir * (aCorner.x * 2.0 - 1.0) * 0.5 * uWidthPx;
  gl_Position = vec4(p + offsetPx * 2.0 / uViewportPx, 0.0, 1.0);
  vColour = mix(aColour0, aColour1, aCorner.x);
}
