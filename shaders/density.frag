#version 330 core
// A density grid already coloured on the CPU (RGB = colour map, A = the value in [0, 1]; one
// filtered RGBA8 fetch is much cheaper on a software rasteriser than a float fetch followed by
// a dependent colour-map fetch), with optional iso-lines at uContourLevels equally spaced values.
in vec2 vUv;
uniform sampler2D uImage;
uniform int uContourLevels;
uniform float uOpacity;
out vec4 fragColour;
void main() {
  vec4 texel = texture(uImage, vUv);
  vec3 c = texel.rgb;
  if (uContourLevels > 0) {
    float f = texel.a * float(uContourLevels);
    float d = abs(f - floor(f + 0.5)) / max(fwidth(f), 1e-5);  // distance to a level, in pixels
    float line = (1.0 - smoothstep(0.5, 1.5, d)) * step(0.5 / float(uContourLevels), texel.a);
    c = mix(c, vec3(1.0), 0.45 * line);
  }
  fragColour = vec4(c * uOpacity, uOpacity);
}
