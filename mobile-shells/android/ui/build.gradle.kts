// :ui  the shared Compose screens (../../ui/src/main/kotlin), the same
// sources the desktop app compiles with Maven, built here as an Android
// library against Jetpack Compose. Its string table (Strings.kt) is written
// from the app's strings.xml by ../../ui/generate-strings before compiling.
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val sharedUi = rootDir.resolve("../ui")
val stringsDir = layout.buildDirectory.dir("generated/strings")

val generateStrings by tasks.registering(Exec::class) {
    val source = rootDir.resolve("app/src/main/res/values/strings.xml")
    val target = stringsDir.map { it.file("app/hearth/ui/Strings.kt") }
    inputs.file(source)
    inputs.file(sharedUi.resolve("generate-strings"))
    outputs.dir(stringsDir)
    commandLine("python3", sharedUi.resolve("generate-strings").path, source.path, target.get().asFile.path)
}

android {
    namespace = "app.hearth.ui"
    compileSdk = 36
    defaultConfig { minSdk = 26 }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    sourceSets["main"].kotlin.srcDirs(sharedUi.resolve("src/main/kotlin"), stringsDir)
}

kotlin {
    jvmToolchain(17)
    compilerOptions {
        optIn.addAll(
            "androidx.compose.material3.ExperimentalMaterial3Api",
            "androidx.compose.foundation.layout.ExperimentalLayoutApi",
        )
    }
}

composeCompiler {
    // The core's records are stable (never mutated by the shell): see ../../ui/compose-stability.conf.
    stabilityConfigurationFiles.add(layout.file(provider { sharedUi.resolve("compose-stability.conf") }))
}

tasks.named("preBuild") { dependsOn(generateStrings) }

dependencies {
    api(project(":state"))
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.icons)
    implementation(libs.lifecycle.runtime.compose)
}
