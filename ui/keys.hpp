#pragma once
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

namespace solace::ui::keys {

// io.KeysDown is indexed by GLFW key codes: the GLFW backend fills it so, and the headless
// driver does the same, so views name keys the one way.
inline constexpr int s = GLFW_KEY_S;
inline constexpr int t = GLFW_KEY_T;
inline constexpr int backspace = GLFW_KEY_BACKSPACE;
inline constexpr int delete_key = GLFW_KEY_DELETE;
inline constexpr int escape = GLFW_KEY_ESCAPE;
inline constexpr int tab = GLFW_KEY_TAB;
inline constexpr int enter = GLFW_KEY_ENTER;
inline constexpr int keypad_enter = GLFW_KEY_KP_ENTER;
inline constexpr int up = GLFW_KEY_UP;
inline constexpr int down = GLFW_KEY_DOWN;
inline constexpr int page_up = GLFW_KEY_PAGE_UP;
inline constexpr int page_down = GLFW_KEY_PAGE_DOWN;
inline constexpr int home = GLFW_KEY_HOME;

// The same map the GLFW backend sets, for running ImGui without it.
void map_like_glfw(ImGuiIO& io);

} // namespace solace::ui::keys
