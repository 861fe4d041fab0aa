#version 330 core
// A density grid of values in [0, 1] (a float texture, filtered bilinearly) coloured through a
// 256-entry colour map, with optional iso-lines at uContourLevels equally spaced values. The
// value stays a float up to the colour lookup: an 8-bit value showed a nearly flat density (VE
// at t = 1 spans a few 1/256 steps over the view) as blocks with stair-step contours.
in vec2 vUv;
uniform sampler2D uValues;
uniform sampler2D uColormap;
uniform int uContourLevels;
uniform float uOpacity;
out vec4 fragColour;
void main() {
  float v = clamp(texture(uValues, vUv).r, 0.0, 1.0);
  vec3 c = texture(uColormap, vec2(v * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
  if (uContourLevels > 0) {
    float f = v * float(uContourLevels);
    float d = abs(f - floor(f + 0.5)) / max(fwidth(f), 1e-5);  // distance to a level, in pixels
    float line = (1.0 - smoothstep(0.5, 1.5, d)) * step(0.5 / float(uContourLevels), v);
    c = mix(c, vec3(1.0), 0.45 * line);
  }
  fragColour = vec4(c * uOpacity, uOpacity);
}
