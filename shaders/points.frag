#version 330 core
in vec4 vColour;
uniform float uAlpha;
uniform float uPointSize;  // pixels
out vec4 fragColour;
void main() {
  // Round sprite with a one-pixel soft edge, measured in pixels; output is premultiplied.
  float rPx = length(gl_PointCoord * 2.0 - 1.0) * 0.5 * uPointSize;
  float cover = clamp(0.5 * uPointSize - rPx + 0.5, 0.0, 1.0);
  float a = uAlpha * cover;
  if (a <= 0.0) discard;
  fragColour = vec4(vColour.rgb * a, a);
}
