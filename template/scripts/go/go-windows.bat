@echo off
rem "Check out and go" for Windows 10/11: installs what the host needs to work on this project
rem with winget, then builds the host virtualenv (.venv) for the IDE.
rem
rem   scripts\go\go-windows.bat
rem
rem Safe to run again at any time: it installs only what is missing and accepts the package
rem agreements on the command line, so it does not stop to ask (Windows may still show a UAC
rem prompt for Docker Desktop).
rem   - git, Python 3.11 or newer (Python.Python.3.X, X from .python-version if present)
rem   - Docker Desktop, unless a docker client is already installed
rem   - Java, only for projects that use batect (Eclipse Temurin 21)
setlocal EnableExtensions DisableDelayedExpansion

cd /d "%~dp0..\.."
if errorlevel 1 (
    echo go: error: cannot change to the project folder 1>&2
    exit /b 1
)

where winget >nul 2>&1
if errorlevel 1 (
    echo go: error: winget is missing; install "App Installer" from the Microsoft Store, then re-run 1>&2
    exit /b 1
)
set "WINGET_FLAGS=--exact --silent --accept-package-agreements --accept-source-agreements --disable-interactivity"
set "INSTALLED_SOMETHING=0"

rem --- git -----------------------------------------------------------------------------------
git --version >nul 2>&1
if errorlevel 1 (
    call :install Git.Git
    if errorlevel 1 exit /b 1
) else (
    echo go: ok: git
)

rem --- Python 3.11 or newer ----------------------------------------------------------------
rem The py launcher picks the newest installed Python; the Microsoft Store "python" alias is a
rem stub that opens the Store, so python.exe on PATH is not trusted blindly.
set "PYTHON_VERSION=3.13"
if exist ".python-version" (
    for /f "usebackq tokens=1,2 delims=." %%a in (".python-version") do set "PYTHON_VERSION=%%a.%%b"
)
call :find_python
rem Written without comparison operators: cmd would read a bare greater-than sign as a redirection.
if not defined PYTHON_EXE (
    call :install Python.Python.%PYTHON_VERSION%
    if errorlevel 1 exit /b 1
    call :find_python
rem Written without comparison operators: cmd would read a bare greater-than sign as a redirection.
)
if not defined PYTHON_EXE (
    echo go: error: Python %PYTHON_VERSION% was installed but is not on PATH yet; open a new terminal and re-run 1>&2
    exit /b 1
)
echo go: ok: Python at %PYTHON_EXE%

rem --- Docker ------------------------------------------------------------------------------
docker --version >nul 2>&1
if errorlevel 1 (
    echo go: Docker Desktop's licence requires a paid subscription in larger companies.
    call :install Docker.DockerDesktop
    if errorlevel 1 exit /b 1
) else (
    echo go: ok: docker client
)
docker info >nul 2>&1
if errorlevel 1 echo go: warning: no Docker engine answers; start Docker Desktop and wait until it is running 1>&2

rem --- Java, batect projects only ----------------------------------------------------------
if exist "batect.cmd" (
    java -version >nul 2>&1
    if errorlevel 1 (
        call :install EclipseAdoptium.Temurin.21.JRE
        if errorlevel 1 exit /b 1
    ) else (
        echo go: ok: java
    )
)

if "%INSTALLED_SOMETHING%"=="1" echo go: new programs were installed; if a later step cannot find them, open a new terminal and re-run.

rem --- the project's own setup -------------------------------------------------------------
"%PYTHON_EXE%" scripts\go\setup_host.py
if errorlevel 1 (
    echo go: error: setup_host.py failed; see the message above 1>&2
    exit /b 1
)

set "RUNNER=.\tasks.cmd"
if exist "batect.cmd" set "RUNNER=.\batect.cmd"
echo.
echo go: all set. Next steps:
echo   1. Start Docker Desktop.
echo   2. Point your IDE at the interpreter printed above: .venv\Scripts\python.exe
echo   3. %RUNNER% setup        then  %RUNNER% unit-test
endlocal
exit /b 0

rem --- subroutines -------------------------------------------------------------------------
:install
echo go: installing: %~1
winget install --id %~1 %WINGET_FLAGS%
if errorlevel 1 (
    echo go: error: winget could not install %~1 1>&2
    exit /b 1
)
set "INSTALLED_SOMETHING=1"
exit /b 0

:find_python
rem Written without comparison operators: cmd would read a bare greater-than sign as a redirection.
set "PYTHON_EXE="
for /f "usebackq delims=" %%p in (`py -3 -c "import sys; print(sys.executable) if min(sys.version_info[:2], (3, 11)) == (3, 11) else None" 2^>nul`) do set "PYTHON_EXE=%%p"
if defined PYTHON_EXE exit /b 0
for /f "usebackq delims=" %%p in (`python -c "import sys; print(sys.executable) if min(sys.version_info[:2], (3, 11)) == (3, 11) else None" 2^>nul`) do set "PYTHON_EXE=%%p"
exit /b 0
