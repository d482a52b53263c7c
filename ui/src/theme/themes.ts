/** The dark and high-contrast Fluent themes: a chunk of their own in the tabs, loaded when chosen. */
export { teamsHighContrastTheme, webDarkTheme } from '@fluentui/react-components';
