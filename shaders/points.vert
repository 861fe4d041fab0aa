#version 330 core
// Particles as round point sprites (used for small counts; large counts are binned on the CPU).
layout(location = 0) in vec2 aPosition;  // data coordinates
layout(location = 1) in vec4 aColour;    // normalised RGBA8
uniform vec2 uCentre;
uniform vec2 uNdcScale;  // ndc = (world - centre) * scale
uniform float uPointSize;
out vec4 vColour;
void main() {
  gl_Position = vec4((aPosition - uCentre) * uNdcScale, 0.0, 1.0);
  gl_PointSize = uPointSize;
  vColour = aColour;
}
