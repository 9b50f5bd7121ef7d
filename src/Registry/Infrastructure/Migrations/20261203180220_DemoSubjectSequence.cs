using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Procexon.Registry.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DemoSubjectSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Numbers the demo subjects (DemoDataLoader); earlier the loader created it at run time, which the
            // service's role, owning nothing, may no longer do.
            migrationBuilder.Sql("CREATE SEQUENCE IF NOT EXISTS registry_demo_subjects;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP SEQUENCE IF EXISTS registry_demo_subjects;");
        }
    }
}
