#version 330 core
// The density map and the CPU-binned particle image in one full-viewport pass: on a software
// rasteriser each full-screen blended pass costs milliseconds, so the two big layers share one.
// vUv runs 0..1 over the viewport (y up).
in vec2 vUv;
uniform sampler2D uDensity;   // R32F values in [0, 1] (see density.frag)
uniform sampler2D uColormap;  // 256 x 1 colour map
uniform sampler2D uParticles; // premultiplied RGBA8, row 0 at the top
uniform vec4 uDensityUv;      // density uv = vUv * xy + zw
uniform vec2 uParticleScale;  // viewport fraction covered by the bin grid (bins may overhang)
uniform int uContourLevels;
uniform float uDensityOpacity;
uniform vec3 uBackground;
out vec4 fragColour;
void main() {
  vec2 duv = vUv * uDensityUv.xy + uDensityUv.zw;
  float v = clamp(texture(uDensity, duv).r, 0.0, 1.0);
  vec3 c = texture(uColormap, vec2(v * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
  if (uContourLevels > 0) {
    float f = v * float(uContourLevels);
    float d = abs(f - floor(f + 0.5)) / max(fwidth(f), 1e-5);
    float line = (1.0 - smoothstep(0.5, 1.5, d)) * step(0.5 / float(uContourLevels), v);
    c = mix(c, vec3(1.0), 0.45 * line);
  }
  bool inside = all(greaterThanEqual(duv, vec2(0.0))) && all(lessThanEqual(duv, vec2(1.0)));
  c = inside ? mix(uBackground, c, uDensityOpacity) : uBackground;
  vec4 p = texture(uParticles, vec2(vUv.x, 1.0 - vUv.y) / uParticleScale);
  fragColour = vec4(p.rgb + c * (1.0 - p.a), 1.0);
}
