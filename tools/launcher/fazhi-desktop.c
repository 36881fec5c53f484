/* fazhi-desktop.exe on Windows: the windowed entry point (Start menu, desktop, "run after install").

   PyInstaller embeds the module archive (about 11.6 MB) in every program it builds, and Windows needs a windowed
   program beside the console one (a console program started from Explorer shows a black window). So the bundle holds
   one real program, fazhi-desktop-cli.exe (console), and this launcher of a few KB: it starts that program with the
   same arguments and CREATE_NO_WINDOW (its console exists but is never shown), waits, and returns its exit code.
   Built with mingw by tools/build_windows.py (issue #32). */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wchar.h>

#define PROGRAM L"fazhi-desktop-cli.exe"

/* What follows the program name in the command line, as Windows splits it (CommandLineToArgvW's first-token rule:
   a quoted name ends at the next quote, an unquoted one at the first space or tab). */
static const wchar_t *arguments(const wchar_t *line) {
    if (*line == L'"') {
        ++line;
        while (*line && *line != L'"') ++line;
        if (*line) ++line;
    } else {
        while (*line && *line != L' ' && *line != L'\t') ++line;
    }
    while (*line == L' ' || *line == L'\t') ++line;
    return line;
}

static int fail(const wchar_t *what) {
    wchar_t text[1024];
    _snwprintf(text, 1023, L"无法启动%ls（错误代码 %lu）。\n安装可能不完整，请重新运行安装程序。", what,
               (unsigned long)GetLastError());
    text[1023] = 0;
    MessageBoxW(NULL, text, L"法治建设台账与年度报告", MB_OK | MB_ICONERROR);
    return 1;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, LPWSTR ignored, int show) {
    (void)instance; (void)previous; (void)ignored; (void)show;
    static wchar_t path[32768], line[32768 + 64];
    DWORD length = GetModuleFileNameW(NULL, path, 32768);
    if (length == 0 || length >= 32768) return fail(L"程序（找不到自身的位置）");
    wchar_t *slash = wcsrchr(path, L'\\');
    if (slash == NULL || (size_t)(slash + 1 - path) + wcslen(PROGRAM) >= 32768) return fail(PROGRAM);
    wcscpy(slash + 1, PROGRAM);
    const wchar_t *rest = arguments(GetCommandLineW());
    if (wcslen(path) + wcslen(rest) + 4 >= sizeof line / sizeof line[0]) return fail(L"程序（命令行过长）");
    _snwprintf(line, sizeof line / sizeof line[0] - 1, L"\"%ls\" %ls", path, rest);
    line[sizeof line / sizeof line[0] - 1] = 0;
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    if (!CreateProcessW(path, line, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL,
                        &startup, &process))
        return fail(PROGRAM);
    CloseHandle(process.hThread);
    WaitForSingleObject(process.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    return (int)code;
}
