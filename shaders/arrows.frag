#version 330 core
in float vValue;
uniform sampler2D uColormap;
uniform float uOpacity;
out vec4 fragColour;
void main() {
  vec3 c = texture(uColormap, vec2(clamp(vValue, 0.0, 1.0) * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
  fragColour = vec4(c * uOpacity, uOpacity);
}
