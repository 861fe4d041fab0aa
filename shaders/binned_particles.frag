#version 330 core
// The CPU-binned particle image (premultiplied RGBA, row 0 at the top of the viewport).
in vec2 vUv;
uniform sampler2D uImage;
out vec4 fragColour;
void main() {
  fragColour = texture(uImage, vec2(vUv.x, 1.0 - vUv.y));
}
