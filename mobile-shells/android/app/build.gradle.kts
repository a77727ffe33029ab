// The Hearth app: the shared Compose screens (:ui) over one ViewModel
// (HearthViewModel) that owns the core handle through the :state module's
// HearthModel, and the Android side of the screens' platform effects.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "app.hearth.android"
    compileSdk = 36

    defaultConfig {
        applicationId = "app.hearth"
        minSdk = 26
        targetSdk = 36
        versionCode = 1
        versionName = "0.1.0"
        // The relay a new phone syncs through until the person picks another
        // in Settings: build with -PhearthRelay=https://your.relay. Without
        // it the app asks for a relay before pairing.
        val relay = (project.findProperty("hearthRelay") as String?).orEmpty()
        buildConfigField("String", "DEFAULT_RELAY_URL", "\"$relay\"")
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // Keep the native libraries uncompressed and page-aligned (faster start, smaller install).
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation(project(":hearth"))
    implementation(project(":state"))
    implementation(project(":ui"))
    implementation(libs.coroutines.android)

    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.icons)
    implementation(libs.compose.tooling.preview)
    implementation(libs.activity.compose)
    implementation(libs.fragment)
    implementation(libs.lifecycle.viewmodel.compose)
    implementation(libs.lifecycle.runtime.compose)
    implementation(libs.lifecycle.process)
    implementation(libs.work.runtime)
    implementation(libs.biometric)
}
