#include "window.hpp"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include "app/process.hpp"
#include "appearance.hpp"
#include "cli/cli.hpp"
#include "fonts.hpp"
#include "key_queue.hpp"
#include "shell.hpp"
#include "summary_view.hpp"
#include "theme.hpp"

namespace solace::ui {

namespace {

constexpr const char* no_display_message =
    "solace: no display found, so the window cannot open. Use the command line instead: "
    "solace flags, solace import, solace export csv, solace demo (see solace --help).\n";

// Frames drawn after each event: ImGui settles hover and layout over a couple of frames.
constexpr int frames_after_event = 3;
// How often the text caret blinks while a field is being typed in.
constexpr double caret_blink_seconds = 0.53;

struct Options {
    std::filesystem::path database;
    std::string screenshot; // empty: no screenshot
    int frames = 0;         // > 0: draw this many frames, then quit
    std::string patient;    // open this patient after signing in
    PatientView::Tab view = PatientView::Tab::visit;
    bool lock = false, audit = false;     // --view lock, --view audit: those screens instead
    std::optional<AdminView::Part> admin; // --view patients-admin, --view accounts
    std::string keys; // typed into the window before the screenshot; a tab is Tab
    int width = 1200, height = 780;
};

std::optional<Options> parse(int argc, char** argv) {
    Options o;
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        if (a == "--db") {
            auto v = value();
            if (!v) return std::nullopt;
            o.database = std::string(*v);
        } else if (a == "--screenshot") {
            auto v = value();
            if (!v) return std::nullopt;
            o.screenshot = std::string(*v);
        } else if (a == "--frames") {
            auto v = value();
            if (!v) return std::nullopt;
            const auto r = std::from_chars(v->data(), v->data() + v->size(), o.frames);
            if (r.ec != std::errc() || o.frames < 1) return std::nullopt;
        } else if (a == "--type") {
            auto v = value();
            if (!v) return std::nullopt;
            o.keys = std::string(*v);
        } else if (a == "--size") {
            // WIDTHxHEIGHT, e.g. 1200x1600 for a screenshot of a whole view
            auto v = value();
            if (!v || std::sscanf(std::string(*v).c_str(), "%dx%d", &o.width, &o.height) != 2 ||
                o.width < 320 || o.height < 240)
                return std::nullopt;
        } else if (a == "--patient") {
            auto v = value();
            if (!v) return std::nullopt;
            o.patient = std::string(*v);
        } else if (a == "--view") {
            auto v = value();
            if (!v) return std::nullopt;
            if (*v == "visit")
                o.view = PatientView::Tab::visit;
            else if (*v == "medications")
                o.view = PatientView::Tab::medications;
            else if (*v == "history")
                o.view = PatientView::Tab::history;
            else if (*v == "flags")
                o.view = PatientView::Tab::flags;
            else if (*v == "summary")
                o.view = PatientView::Tab::summary;
            else if (*v == "lock")
                o.lock = true;
            else if (*v == "audit")
                o.audit = true;
            else if (*v == "patients-admin")
                o.admin = AdminView::Part::patients;
            else if (*v == "accounts")
                o.admin = AdminView::Part::accounts;
            else
                return std::nullopt;
        } else {
            std::fprintf(stderr, "solace: unknown option \"%.*s\".\n", int(a.size()), a.data());
            return std::nullopt;
        }
    }
    if (o.database.empty()) o.database = cli::default_database_path();
    if (!o.screenshot.empty() && o.frames == 0) o.frames = 4;
    if (!o.keys.empty()) o.frames += 2 * int(o.keys.size()); // a frame down, a frame up
    return o;
}

// Everything the GLFW callbacks touch.
struct Loop {
    int frames_to_draw = frames_after_event;
    bool rescale = false;
    KeyQueue keys;
};

Loop& loop_of(GLFWwindow* w) {
    return *static_cast<Loop*>(glfwGetWindowUserPointer(w));
}

void wake(GLFWwindow* w) {
    loop_of(w).frames_to_draw = frames_after_event;
}

// Installed before ImGui's own callbacks, which call these after theirs.
void install_wake_callbacks(GLFWwindow* w) {
    glfwSetKeyCallback(w, [](GLFWwindow* w, int, int, int, int) { wake(w); });
    glfwSetCharCallback(w, [](GLFWwindow* w, unsigned) { wake(w); });
    glfwSetMouseButtonCallback(w, [](GLFWwindow* w, int, int, int) { wake(w); });
    glfwSetScrollCallback(w, [](GLFWwindow* w, double, double) { wake(w); });
    glfwSetCursorPosCallback(w, [](GLFWwindow* w, double, double) { wake(w); });
    glfwSetCursorEnterCallback(w, [](GLFWwindow* w, int) { wake(w); });
    glfwSetWindowFocusCallback(w, [](GLFWwindow* w, int) { wake(w); });
    glfwSetWindowSizeCallback(w, [](GLFWwindow* w, int, int) { wake(w); });
    glfwSetFramebufferSizeCallback(w, [](GLFWwindow* w, int, int) { wake(w); });
    glfwSetWindowRefreshCallback(w, [](GLFWwindow* w) { wake(w); });
    glfwSetWindowContentScaleCallback(w, [](GLFWwindow* w, float, float) {
        loop_of(w).rescale = true;
        wake(w);
    });
}

// Keys and characters go through the loop's queue (KeyQueue), not straight into ImGui: installed
// after ImGui's GLFW backend, in place of its key and character callbacks.
void install_key_queue(GLFWwindow* w) {
    glfwSetKeyCallback(w, [](GLFWwindow* w, int key, int, int action, int) {
        if (action == GLFW_PRESS || action == GLFW_REPEAT)
            loop_of(w).keys.key(key, true);
        else if (action == GLFW_RELEASE)
            loop_of(w).keys.key(key, false);
        wake(w);
    });
    glfwSetCharCallback(w, [](GLFWwindow* w, unsigned c) {
        loop_of(w).keys.character(c);
        wake(w);
    });
}

// After the font atlas was rebuilt (a new scale, a new text size): upload it again.
void upload_fonts_if_rebuilt() {
    if (!take_fonts_rebuilt()) return;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

// Fonts are rasterised at the monitor's content scale; when the framebuffer is already denser
// than the window (macOS, Wayland) ImGui's coordinates are in window units, so undo that part.
void scale_for(GLFWwindow* w, bool rebuild_texture) {
    float sx = 1, sy = 1;
    glfwGetWindowContentScale(w, &sx, &sy);
    int ww = 0, wh = 0, fw = 0, fh = 0;
    glfwGetWindowSize(w, &ww, &wh);
    glfwGetFramebufferSize(w, &fw, &fh);
    const float content = std::clamp(std::max(sx, sy), 0.5f, 4.0f);
    const float framebuffer = ww > 0 ? std::max(1.0f, float(fw) / float(ww)) : 1.0f;
    set_display_scale(content, framebuffer); // fonts at content x the account's text size
    if (rebuild_texture) upload_fonts_if_rebuilt();
}

bool write_screenshot(const std::string& file, int width, int height) {
    std::vector<unsigned char> pixels(std::size_t(width) * std::size_t(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1); // OpenGL's rows start at the bottom
    return stbi_write_png(file.c_str(), width, height, 3, pixels.data(), width * 3) != 0;
}

void draw_frame(GLFWwindow* window, Shell& shell, bool automated) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Xvfb's pointer sits mid-screen; a screenshot should not show what it happens to hover.
    if (automated) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    shell.draw();
    ImGui::Render();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

} // namespace

int run_window(int argc, char** argv) {
    const auto options = parse(argc, argv);
    if (!options) {
        std::fprintf(stderr, "%s\nsolace --help lists the command-line verbs.\n",
                     cli::window_options);
        return cli::usage;
    }
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        std::fputs(no_display_message, stderr);
        return 1;
    }
    glfwSetErrorCallback([](int, const char*) {}); // failures are reported below, in one line
    if (!glfwInit()) {
        std::fputs(no_display_message, stderr);
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    GLFWwindow* window =
        glfwCreateWindow(options->width, options->height, "Solace", nullptr, nullptr);
    if (!window) {
        std::fputs("solace: the window cannot open: this display offers no OpenGL 3. Use the "
                   "command line instead: solace flags, solace import, solace export csv, "
                   "solace demo (see solace --help).\n",
                   stderr);
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    Loop loop;
    glfwSetWindowUserPointer(window, &loop);
    install_wake_callbacks(window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // nothing written beside the nurse's files
    apply_theme(Theme::light, 1.0f);
    scale_for(window, false);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    install_key_queue(window);
    ImGui_ImplOpenGL3_Init("#version 130");
    SummaryView::use_gl_textures(); // the weekly summary's page previews

    int status = 0;
    {
        Shell shell(options->database);
        // A patient list worked out on its own thread wakes the loop to be shown.
        shell.set_wake([] { glfwPostEmptyEvent(); });
        const bool automated = options->frames > 0;
        if (automated) {
            const char* user = std::getenv("SOLACE_USER");
            const auto password = app::secret_variable("SOLACE_PASSWORD");
            if (user && password && shell.screen() == Shell::Screen::login)
                shell.sign_in(user, *password);
            // A screenshot shows the sync status settled, not "Syncing…".
            if (auto* sync = shell.background_sync()) sync->wait();
        }
        if (!options->patient.empty() && shell.session())
            shell.open_patient(options->patient, options->view);
        if (options->audit) shell.open_audit_log();
        if (options->admin) shell.open_admin(*options->admin);
        if (options->lock) shell.lock_now();
        // Scripted runs (screenshots, the smoke test) leave the data folder alone.
        if (!automated) shell.set_daily_backup(daily_backup_folder(options->database));

        // --type: one key a frame, released the frame after, as a hand would.
        std::size_t typed = 0;
        bool key_held = false;
        auto type_next = [&] {
            io.KeysDown[GLFW_KEY_TAB] = false;
            if (key_held || typed >= options->keys.size()) {
                key_held = false;
                return;
            }
            const char c = options->keys[typed++];
            if (c == '\t')
                io.KeysDown[GLFW_KEY_TAB] = true;
            else
                io.AddInputCharacter(static_cast<unsigned char>(c));
            key_held = true;
        };

        int frames_drawn = 0;
        while (!glfwWindowShouldClose(window)) {
            if (automated) type_next();
            if (automated || loop.frames_to_draw > 0) {
                glfwPollEvents();
            } else {
                // Idle: sleep until something happens; wake only for the caret while typing
                // for a draft waiting to be kept, for the lock (or its countdown) and for the
                // sync status line's minutes.
                double timeout = io.WantTextInput ? caret_blink_seconds : -1.0;
                if (const double draft = shell.draft_due_in(); draft >= 0.0)
                    timeout = timeout < 0.0 ? draft : std::min(timeout, draft);
                if (const double lock = shell.session_wake_in(); lock >= 0.0)
                    timeout = timeout < 0.0 ? lock : std::min(timeout, lock);
                if (const double sync = shell.sync_wake_in(); sync >= 0.0) // "2 min ago"
                    timeout = timeout < 0.0 ? sync : std::min(timeout, sync);
                if (timeout >= 0.0)
                    glfwWaitEventsTimeout(std::max(timeout, 0.01));
                else
                    glfwWaitEvents();
                loop.frames_to_draw = std::max(loop.frames_to_draw, 1);
            }
            if (loop.rescale) {
                loop.rescale = false;
                scale_for(window, true);
            }
            upload_fonts_if_rebuilt(); // the account's text size, chosen or at sign-in
            loop.keys.feed(io);
            if (!loop.keys.empty()) loop.frames_to_draw = std::max(loop.frames_to_draw, 2);
            draw_frame(window, shell, automated);
            ++frames_drawn;
            --loop.frames_to_draw;
            if (automated && frames_drawn >= options->frames) {
                if (!options->screenshot.empty()) {
                    int fw = 0, fh = 0;
                    glfwGetFramebufferSize(window, &fw, &fh);
                    if (!write_screenshot(options->screenshot, fw, fh)) {
                        std::fprintf(stderr, "solace: could not write the screenshot %s.\n",
                                     options->screenshot.c_str());
                        status = 1;
                    }
                }
                break;
            }
            glfwSwapBuffers(window);
            if (shell.apply_pending()) loop.frames_to_draw = frames_after_event;
        }
        shell.save_drafts_now(); // quitting with a visit half typed: offered back next time
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}

} // namespace solace::ui
