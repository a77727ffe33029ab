// The state holders: plain Kotlin (coroutines and StateFlow, no android.*).
// The same sources build with Maven (pom.xml, run by ../run-state-tests) on
// machines without the Android SDK.
plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    api(project(":bindings"))
    api(libs.coroutines.core)
    // The generated classes refer to JNA types; the app gets JNA's Android build through :hearth.
    compileOnly(libs.jna)
    testImplementation(libs.jna)
    testImplementation(libs.coroutines.test)
    testImplementation(libs.junit.jupiter)
    testRuntimeOnly(libs.junit.launcher)
}

tasks.test {
    useJUnitPlatform()
}
