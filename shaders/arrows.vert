#version 330 core
// Instanced arrows. A mesh vertex m = (along, head, shaftSide, headSide) is placed at
//   base + dir * (along * L + head * H) + normal * (shaftSide * W + headSide * 0.6 * H)
// so the shaft scales with the arrow length L while the head keeps its length H (shortened for
// short arrows) and the shaft half-width W stays fixed.
layout(location = 0) in vec4 aMesh;
layout(location = 1) in vec2 aBase;   // per instance, data coordinates
layout(location = 2) in vec2 aVector; // per instance
layout(location = 3) in float aValue; // per instance, colour value in [0, 1]
uniform vec2 uCentre;
uniform vec2 uNdcScale;
uniform float uShaftHalfWidth;
uniform float uHeadLength;
out float vValue;
void main() {
  float L = length(aVector);
  vec2 dir = L > 0.0 ? aVector / L : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  float H = min(uHeadLength, 0.5 * L);
  vec2 p = aBase + dir * (aMesh.x * L + aMesh.y * H) +
           normal * (aMesh.z * uShaftHalfWidth + aMesh.w * 0.6 * H);
  gl_Position = vec4((p - uCentre) * uNdcScale, 0.0, 1.0);
  vValue = aValue;
}
