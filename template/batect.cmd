@echo off
rem Launcher for batect on Windows (cmd.exe or PowerShell): the counterpart of ./batect.
rem On first use it downloads the pinned batect JAR into a per-user cache, checks its SHA-256
rem and runs it with the Java on PATH (or in JAVA_HOME). batect was archived upstream in
rem October 2023; 0.85.0 is its last release.
rem
rem Overrides: BATECT_DOWNLOAD_URL, BATECT_DOWNLOAD_CHECKSUM, BATECT_CACHE_DIR (see ./batect).
setlocal EnableExtensions DisableDelayedExpansion

set "BATECT_VERSION=0.85.0"
rem The SHA-256 of batect-0.85.0.jar, as published in batect's own 0.85.0 wrapper scripts.
set "BATECT_SHA256=901ed73295be75d295cec1d06315f7026b36ccb1666660b8af432cfbbc7feae8"
set "DOWNLOAD_URL=https://github.com/batect/batect/releases/download/%BATECT_VERSION%/batect-%BATECT_VERSION%.jar"
if defined BATECT_DOWNLOAD_URL set "DOWNLOAD_URL=%BATECT_DOWNLOAD_URL%"
if defined BATECT_DOWNLOAD_CHECKSUM set "BATECT_SHA256=%BATECT_DOWNLOAD_CHECKSUM%"
set "CACHE_DIR=%USERPROFILE%\.batect\cache"
if defined BATECT_CACHE_DIR set "CACHE_DIR=%BATECT_CACHE_DIR%"
set "JAR_DIR=%CACHE_DIR%\%BATECT_VERSION%"
set "JAR=%JAR_DIR%\batect-%BATECT_VERSION%.jar"
set "DID_DOWNLOAD=false"

rem PowerShell (built into Windows 10/11) downloads the JAR and checks its hash. It exits 0 when
rem the cached JAR is good, 10 after a good download, and 1 on any failure. The values travel in
rem environment variables, so no path or URL is pasted into PowerShell code.
set "PS_SCRIPT=$ErrorActionPreference='Stop'; $ProgressPreference='SilentlyContinue';"
set "PS_SCRIPT=%PS_SCRIPT% $jar=$env:JAR; $want=$env:BATECT_SHA256.ToLowerInvariant();"
set "PS_SCRIPT=%PS_SCRIPT% function Hash($p) { (Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash.ToLowerInvariant() };"
set "PS_SCRIPT=%PS_SCRIPT% if ((Test-Path -LiteralPath $jar) -and ((Hash $jar) -eq $want)) { exit 0 };"
set "PS_SCRIPT=%PS_SCRIPT% try { New-Item -ItemType Directory -Force -Path $env:JAR_DIR | Out-Null;"
set "PS_SCRIPT=%PS_SCRIPT% $tmp=$jar + '.download'; [Console]::Error.WriteLine('Downloading batect ' + $env:BATECT_VERSION + ' from ' + $env:DOWNLOAD_URL);"
set "PS_SCRIPT=%PS_SCRIPT% [Net.ServicePointManager]::SecurityProtocol=[Net.SecurityProtocolType]::Tls12;"
set "PS_SCRIPT=%PS_SCRIPT% Invoke-WebRequest -UseBasicParsing -Uri $env:DOWNLOAD_URL -OutFile $tmp;"
set "PS_SCRIPT=%PS_SCRIPT% $got=Hash $tmp; if ($got -ne $want) { Remove-Item -Force -LiteralPath $tmp;"
set "PS_SCRIPT=%PS_SCRIPT% [Console]::Error.WriteLine('batect wrapper: checksum mismatch: expected ' + $want + ', got ' + $got + '; refusing to run it'); exit 1 };"
set "PS_SCRIPT=%PS_SCRIPT% Move-Item -Force -LiteralPath $tmp -Destination $jar; exit 10 }"
set "PS_SCRIPT=%PS_SCRIPT% catch { [Console]::Error.WriteLine('batect wrapper: ' + $_.Exception.Message); exit 1 }"

powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "%PS_SCRIPT%"
set "PS_EXIT=%ERRORLEVEL%"
if "%PS_EXIT%"=="10" (
    set "DID_DOWNLOAD=true"
) else if not "%PS_EXIT%"=="0" (
    echo batect wrapper: could not get a verified batect JAR from %DOWNLOAD_URL% 1>&2
    echo batect wrapper: to use a mirror, set BATECT_DOWNLOAD_URL to its copy of batect-%BATECT_VERSION%.jar, https:// or file:///; its SHA-256 is still checked, BATECT_DOWNLOAD_CHECKSUM overrides it 1>&2
    exit /b 1
)

set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
rem java -version prints to stderr; a file keeps the parsing out of a pipe.
set "JAVA_VERSION_FILE=%TEMP%\batect-java-version-%RANDOM%.txt"
"%JAVA_EXE%" -version 2>"%JAVA_VERSION_FILE%"
if errorlevel 1 (
    del "%JAVA_VERSION_FILE%" >nul 2>&1
    echo batect wrapper: Java 8 or newer is needed; run scripts\go\go-windows.bat or install a JDK 1>&2
    exit /b 1
)
rem The first line reads: openjdk version "17.0.9" ... or: java version "1.8.0_392" ...
set "JAVA_VERSION="
for /f "usebackq tokens=3 delims= " %%v in (`findstr /c:" version " "%JAVA_VERSION_FILE%"`) do (
    if not defined JAVA_VERSION set "JAVA_VERSION=%%~v"
)
del "%JAVA_VERSION_FILE%" >nul 2>&1
if not defined JAVA_VERSION (
    echo batect wrapper: cannot tell the version of %JAVA_EXE% 1>&2
    exit /b 1
)

rem Java 9 and later close JDK internals that batect's console handling needs; Java 8 has no
rem such flags, and versions before 8 cannot run batect at all.
set "JAVA_OPTS=--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED"
if "%JAVA_VERSION:~0,4%"=="1.8." set "JAVA_OPTS="
if "%JAVA_VERSION:~0,2%"=="1." if not "%JAVA_VERSION:~0,4%"=="1.8." (
    echo batect wrapper: batect needs Java 8 or newer, %JAVA_EXE% is %JAVA_VERSION% 1>&2
    exit /b 1
)

rem batect reads these to find the project, its cache and whether this run downloaded it.
set "BATECT_WRAPPER_SCRIPT_DIR=%~dp0"
set "BATECT_WRAPPER_CACHE_DIR=%CACHE_DIR%"
set "BATECT_WRAPPER_DID_DOWNLOAD=%DID_DOWNLOAD%"
"%JAVA_EXE%" %JAVA_OPTS% -Djava.net.useSystemProxies=true -jar "%JAR%" %*
exit /b %ERRORLEVEL%
